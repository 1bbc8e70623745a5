#include "truc/office/uploads.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "records.hpp"
#include "truc/common/byte_stream.hpp"
#include "truc/store/blob_store.hpp"
#include "truc/store/database.hpp"

namespace truc::office {
namespace {

struct Kind {
  std::string_view content_type;
  std::string_view magic;
};

// What each accepted type's bytes begin with: a file is what it is, not what it is called.
constexpr std::array<Kind, 3> kKinds{{
    {"application/pdf", "%PDF-"},
    {"image/jpeg", "\xFF\xD8\xFF"},
    {"image/png", "\x89PNG\r\n\x1A\n"},
}};

Error unsupported(const std::string& detail) {
  return Error{"upload.unsupported_type", "only PDF, JPEG and PNG files are taken", detail};
}

// The media type without parameters, lowercase: "application/PDF; x=y" is application/pdf.
std::string media_type(std::string_view header) {
  std::string type(header.substr(0, header.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

struct Measured {
  std::string head;  // the first bytes, enough for every magic number
  store::BlobRef blob;
};

Result<Measured> measure(const std::filesystem::path& file) {
  auto source = FileSource::open(file);
  if (!source) return std::move(source).error();
  HashingSource hashing(*source);
  Measured measured;
  std::array<char, 64 * 1024> buffer;
  for (;;) {
    auto read = hashing.read(buffer);
    if (!read) return std::move(read).error();
    if (*read == 0) break;
    if (measured.head.size() < 16) {
      measured.head.append(buffer.data(), std::min<std::size_t>(*read, 16 - measured.head.size()));
    }
  }
  measured.blob = {hashing.sha256(), hashing.size()};
  return measured;
}

std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string array = "{";
  for (std::int64_t id : ids) array += (array.size() > 1 ? "," : "") + std::to_string(id);
  return array + "}";
}

}  // namespace

Uploads::Uploads(store::Pool& database, const store::BlobStore& blobs)
    : database_(database), blobs_(blobs) {}

Result<Upload> Uploads::receive(const Account& account, const std::string& name,
                                const std::string& declared_type, const std::filesystem::path& file,
                                const Actor& actor) {
  // The file is ours from here on: published into the blob store, or removed.
  struct RemoveUnlessPublished {
    const std::filesystem::path& path;
    ~RemoveUnlessPublished() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } cleanup{file};

  TRUC_TRY(check_text("name", name, 255));
  if (name.find_first_of("/\\") != std::string::npos) {
    return invalid_field("name", "a file name, without a path");
  }
  const std::string type = media_type(declared_type);
  const auto kind = std::find_if(kKinds.begin(), kKinds.end(),
                                 [&](const Kind& known) { return known.content_type == type; });
  if (kind == kKinds.end()) return unsupported("Content-Type " + type);
  auto measured = measure(file);
  if (!measured) return std::move(measured).error();
  if (measured->blob.size == 0) return Error{"upload.empty", "the file is empty", name};
  if (!measured->head.starts_with(kind->magic)) {
    return unsupported("the bytes are not " + type);
  }
  TRUC_TRY(blobs_.adopt(file, measured->blob));

  auto connection = database_.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  auto stored = transaction->execute(
      "INSERT INTO uploads (agency_id, uploaded_by, name, content_type, size, blob_sha256) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {std::to_string(account.agency_id), std::to_string(account.user_id), name, type,
       std::to_string(measured->blob.size), measured->blob.sha256});
  if (!stored) return std::move(stored).error();
  const std::int64_t id = stored->integer(0, 0);
  TRUC_TRY(audit(*transaction, account.agency_id, actor, "upload.received",
                 std::to_string(id) + " " + measured->blob.sha256));
  TRUC_TRY(transaction->commit());
  return Upload{id, name, type, static_cast<std::int64_t>(measured->blob.size),
                measured->blob.sha256};
}

Result<std::vector<Upload>> consume_uploads(store::Transaction& transaction, std::int64_t agency_id,
                                            std::int64_t user_id,
                                            const std::vector<std::int64_t>& ids,
                                            const std::string& consumer) {
  if (ids.empty() || ids.size() > kMaxUploadsPerRecord) {
    return invalid_field("uploads", "1 to " + std::to_string(kMaxUploadsPerRecord) + " files");
  }
  if (std::set<std::int64_t>(ids.begin(), ids.end()).size() != ids.size()) {
    return invalid_field("uploads", "each file once");
  }
  // The row locks make a second transaction taking the same upload wait, then see it used.
  auto rows = transaction.execute(
      "SELECT id, name, content_type, size, blob_sha256, consumed_at IS NOT NULL FROM uploads "
      "WHERE agency_id = $1 AND uploaded_by = $2 AND id = ANY ($3::bigint[]) FOR UPDATE",
      {std::to_string(agency_id), std::to_string(user_id), id_array(ids)});
  if (!rows) return std::move(rows).error();
  std::vector<Upload> uploads;
  for (std::int64_t id : ids) {
    std::size_t row = 0;
    while (row < rows->size() && rows->integer(row, 0) != id) ++row;
    if (row == rows->size()) {
      return Error{"upload.not_found", "the caller has no upload with this id", std::to_string(id)};
    }
    if (rows->boolean(row, 5)) {
      return Error{"upload.already_used", "the upload is attached to a record already",
                   std::to_string(id)};
    }
    uploads.push_back(
        {id, rows->text(row, 1), rows->text(row, 2), rows->integer(row, 3), rows->text(row, 4)});
  }
  auto used = transaction.execute(
      "UPDATE uploads SET consumed_by = $2, consumed_at = now() WHERE id = ANY ($1::bigint[])",
      {id_array(ids), consumer});
  if (!used) return std::move(used).error();
  return uploads;
}

}  // namespace truc::office
