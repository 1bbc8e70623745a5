#include "truc/store/blob_store.hpp"

#include <gtest/gtest.h>

#include "truc/common/digest.hpp"
#include "truc/testing/temp_dir.hpp"

namespace truc::store {
namespace {

std::string read_all(FileSource& source) {
  std::string content;
  char buffer[4096];
  while (true) {
    auto count = source.read(buffer);
    if (!count || *count == 0) return content;
    content.append(buffer, *count);
  }
}

TEST(BlobStore, StoresContentUnderItsHashAndReadsItBack) {
  testing::TempDir directory;
  auto store = BlobStore::open(directory.path());
  ASSERT_TRUE(store);
  auto writer = store->create();
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->write("Công văn "));
  ASSERT_TRUE(writer->write("số 12"));
  auto blob = writer->commit();
  ASSERT_TRUE(blob);
  EXPECT_EQ(blob->sha256, sha256_hex("Công văn số 12"));
  EXPECT_EQ(blob->size, std::string("Công văn số 12").size());
  EXPECT_TRUE(store->contains(blob->sha256));
  auto source = store->open_blob(blob->sha256);
  ASSERT_TRUE(source);
  EXPECT_EQ(read_all(*source), "Công văn số 12");
  EXPECT_TRUE(std::filesystem::is_empty(directory.path() / "tmp"));
}

TEST(BlobStore, StoresIdenticalContentOnce) {
  testing::TempDir directory;
  auto store = BlobStore::open(directory.path());
  for (int copy = 0; copy < 2; ++copy) {
    auto writer = store->create();
    ASSERT_TRUE(writer->write("same bytes"));
    ASSERT_TRUE(writer->commit());
  }
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory.path())) {
    files += entry.is_regular_file();
  }
  EXPECT_EQ(files, 1u);
}

TEST(BlobStore, AbandonedUploadsLeaveNothing) {
  testing::TempDir directory;
  auto store = BlobStore::open(directory.path());
  {
    auto writer = store->create();
    ASSERT_TRUE(writer->write("half a package"));
  }
  EXPECT_TRUE(std::filesystem::is_empty(directory.path() / "tmp"));
  EXPECT_TRUE(std::filesystem::is_empty(directory.path() / "objects"));
}

TEST(BlobStore, AdoptsASpooledUploadUnderItsHash) {
  testing::TempDir directory;
  auto store = BlobStore::open(directory.path());
  auto spooled = store->temporary_directory() / "upload-1";
  {
    auto file = File::create(spooled);
    ASSERT_TRUE(file->write_all("uploaded bytes"));
  }
  ASSERT_TRUE(store->adopt(spooled, {sha256_hex("uploaded bytes"), 14}));
  EXPECT_FALSE(std::filesystem::exists(spooled));
  EXPECT_TRUE(store->contains(sha256_hex("uploaded bytes")));
  auto outside = directory.write("elsewhere", "x");
  EXPECT_EQ(store->adopt(outside, {sha256_hex("x"), 1}).error().code, "store.blob_invalid");
}

TEST(BlobStore, RefusesNamesThatAreNotHashes) {
  testing::TempDir directory;
  auto store = BlobStore::open(directory.path());
  auto source = store->open_blob("../../etc/passwd");
  ASSERT_FALSE(source);
  EXPECT_EQ(source.error().code, "store.blob_missing");
  EXPECT_TRUE(store->check_writable());
}

}  // namespace
}  // namespace truc::store
