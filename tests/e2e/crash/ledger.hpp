#pragma once

// The crash test's record of everything its clients saw: what was sent, what the hub receipted,
// what each recipient processed and which statuses came back. The threads of the run write to it
// as they go; the test's assertions read it at the end.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>

namespace truc::crash {

class RunControl;

// Documents are known by their DocumentId (unique in the run); the hub's ids must match what it
// receipted.
class Ledger {
 public:
  struct Document {
    std::size_t sender = 0;
    std::set<std::size_t> recipients;
    std::set<std::string> receipted_ids;    // more than one: the hub doubled the document
    int sends = 0;                          // attempts until the receipt
    std::map<std::size_t, int> deliveries;  // by recipient: times processed
    std::map<std::size_t, int> statuses;    // by the recipient that answered: times received
  };

  void sending(const std::string& document_id, std::size_t sender,
               const std::set<std::size_t>& recipients);
  void receipted(const std::string& document_id, const std::string& hub_id, int sends);
  // A recipient was offered `hub_id`: true the first time; a repeat is suppressed (the receiver's
  // deduplication) and counted.
  bool offered(std::size_t recipient, const std::string& hub_id);
  void delivered(const std::string& document_id, std::size_t recipient, const std::string& hub_id,
                 RunControl& run);
  void status_arrived(const std::string& document_id, std::size_t from, RunControl& run);
  std::uint64_t receipts() const;
  // True once every receipted document reached each recipient and each answered.
  bool settled() const;
  std::map<std::string, Document> documents() const;
  std::string delivered_id(const std::string& document_id, std::size_t recipient) const;
  std::uint64_t suppressed() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Document> documents_;
  std::set<std::pair<std::size_t, std::string>> processed_;
  std::map<std::pair<std::string, std::size_t>, std::string> delivered_ids_;
  std::uint64_t receipts_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace truc::crash
