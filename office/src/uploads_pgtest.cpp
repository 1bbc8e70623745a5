// Uploads against a real PostgreSQL and blob store: what is taken, what is refused with nothing
// stored, and that an upload is used once, by its own uploader only.

#include <gtest/gtest.h>

#include "office_fixture.hpp"
#include "truc/office/uploads.hpp"

namespace truc::office {
namespace {

class UploadsTest : public OfficeFixture {
 protected:
  UploadsTest() {
    own_ = agency("000.00.04.H57");
    other_ = agency("000.00.05.H57", "Sở Tài chính");
    clerk_ = account(own_, "vanthu");
    colleague_ = account(own_, "vanthu2");
    stranger_ = account(other_, "vanthu3");
  }

  Account account(const Agency& agency, const std::string& username) {
    auto created = accounts_.create_user(
        agency.id, {username, "Nguyễn Văn A", Role::clerk, kTestPassword, ""}, kConsole);
    EXPECT_TRUE(created) << created.error().to_string();
    Account account;
    account.user_id = count("SELECT id FROM users WHERE username = $1", {username});
    account.agency_id = agency.id;
    return account;
  }

  Result<Upload> upload(const Account& by, const std::string& bytes,
                        const std::string& type = "application/pdf",
                        const std::string& name = "Công văn số 12.pdf") {
    return uploads_.receive(by, name, type, spooled(bytes), {by.user_id, "192.0.2.1"});
  }

  // consume_uploads() in a transaction of its own, committed when it succeeds.
  Result<std::vector<Upload>> consume(const Account& by, const std::vector<std::int64_t>& ids,
                                      bool commit = true) {
    auto lease = database_.acquire();
    auto transaction = store::Transaction::begin(**lease);
    EXPECT_TRUE(transaction);
    auto taken = consume_uploads(*transaction, by.agency_id, by.user_id, ids, "test/1");
    if (taken && commit) {
      EXPECT_TRUE(transaction->commit());
    }
    return taken;
  }

  Agency own_, other_;
  Account clerk_, colleague_, stranger_;
};

TEST_F(UploadsTest, APdfAJpegAndAPngAreStoredByContentAndRecordedForTheUploader) {
  const std::string pdf = "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";
  auto stored = upload(clerk_, pdf, "application/PDF; charset=binary");
  ASSERT_TRUE(stored) << stored.error().to_string();
  EXPECT_EQ(stored->content_type, "application/pdf");
  EXPECT_EQ(stored->size, static_cast<std::int64_t>(pdf.size()));
  EXPECT_EQ(stored->name, "Công văn số 12.pdf");
  EXPECT_TRUE(blobs_.contains(stored->blob_sha256));
  EXPECT_TRUE(std::filesystem::is_empty(blobs_.temporary_directory()));
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE agency_id = $1 AND uploaded_by = $2 AND "
                  "consumed_at IS NULL",
                  {std::to_string(own_.id), std::to_string(clerk_.user_id)}),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'upload.received'"), 1);
  EXPECT_TRUE(upload(clerk_, "\xFF\xD8\xFF\xE0 jpeg", "image/jpeg", "trang1.jpg"));
  EXPECT_TRUE(upload(clerk_, "\x89PNG\r\n\x1A\n png", "image/png", "trang2.png"));
}

TEST_F(UploadsTest, WhatIsNotAScanIsRefusedAndNothingIsStored) {
  const auto files_before = stored_files();
  struct Case {
    std::string bytes, type, name, code;
  };
  for (const Case& bad : std::vector<Case>{
           {"<html><script>alert(1)</script></html>", "application/pdf", "x.pdf",
            "upload.unsupported_type"},
           {"%PDF-1.7 but called a picture", "image/png", "x.png", "upload.unsupported_type"},
           {"<html></html>", "text/html", "x.html", "upload.unsupported_type"},
           {"%PDF-1.7", "", "x.pdf", "upload.unsupported_type"},
           {"", "application/pdf", "x.pdf", "upload.empty"},
           {"%PDF", "application/pdf", "x.pdf", "upload.unsupported_type"},  // too short
           {"%PDF-1.7", "application/pdf", "", "field.invalid"},
           {"%PDF-1.7", "application/pdf", "../../etc/x.pdf", "field.invalid"},
           {"%PDF-1.7", "application/pdf", std::string(256, 'a'), "field.invalid"},
           {"%PDF-1.7", "application/pdf", "a\nb.pdf", "field.invalid"},
           {"%PDF-1.7", "application/pdf", "\xC3(.pdf", "field.invalid"},
       }) {
    SCOPED_TRACE(bad.type + " " + bad.name);
    auto refused = upload(clerk_, bad.bytes, bad.type, bad.name);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, bad.code);
  }
  EXPECT_EQ(count("SELECT count(*) FROM uploads"), 0);
  EXPECT_EQ(stored_files(), files_before);  // no blob, and no spooled file left behind
}

TEST_F(UploadsTest, AnUploadIsUsedOnceAndOnlyByItsUploader) {
  auto first = upload(clerk_, "%PDF-1.7 first");
  auto second = upload(clerk_, "%PDF-1.7 second");
  auto theirs = upload(stranger_, "%PDF-1.7 theirs");
  ASSERT_TRUE(first && second && theirs);
  // Another agency's upload, or a colleague's, is an unknown id.
  EXPECT_EQ(consume(clerk_, {first->id, theirs->id}).error().code, "upload.not_found");
  EXPECT_EQ(consume(colleague_, {first->id}).error().code, "upload.not_found");
  EXPECT_EQ(consume(clerk_, {first->id, 999999}).error().code, "upload.not_found");
  EXPECT_EQ(consume(clerk_, {}).error().code, "field.invalid");
  EXPECT_EQ(consume(clerk_, {first->id, first->id}).error().code, "field.invalid");
  EXPECT_EQ(consume(clerk_, std::vector<std::int64_t>(21, first->id)).error().code,
            "field.invalid");
  // A transaction that rolls back leaves the upload usable.
  ASSERT_TRUE(consume(clerk_, {second->id, first->id}, /*commit=*/false));
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE consumed_at IS NOT NULL"), 0);

  auto taken = consume(clerk_, {second->id, first->id});
  ASSERT_TRUE(taken) << taken.error().to_string();
  ASSERT_EQ(taken->size(), 2u);
  EXPECT_EQ(taken->at(0).id, second->id);  // in the order asked
  EXPECT_EQ(taken->at(1).blob_sha256, first->blob_sha256);
  EXPECT_EQ(consume(clerk_, {first->id}).error().code, "upload.already_used");
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE consumed_by = 'test/1'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM uploads WHERE consumed_at IS NULL"), 1);  // theirs
}

}  // namespace
}  // namespace truc::office
