#include "ledger.hpp"

#include "run_control.hpp"

namespace truc::crash {

void Ledger::sending(const std::string& document_id, std::size_t sender,
                     const std::set<std::size_t>& recipients) {
  std::lock_guard lock(mutex_);
  documents_[document_id].sender = sender;
  documents_[document_id].recipients = recipients;
}

void Ledger::receipted(const std::string& document_id, const std::string& hub_id, int sends) {
  std::lock_guard lock(mutex_);
  auto& document = documents_.at(document_id);
  document.receipted_ids.insert(hub_id);
  document.sends = sends;
  ++receipts_;
}

bool Ledger::offered(std::size_t recipient, const std::string& hub_id) {
  std::lock_guard lock(mutex_);
  bool first = processed_.insert({recipient, hub_id}).second;
  if (!first) ++suppressed_;
  return first;
}

void Ledger::delivered(const std::string& document_id, std::size_t recipient,
                       const std::string& hub_id, RunControl& run) {
  std::lock_guard lock(mutex_);
  auto found = documents_.find(document_id);
  if (found == documents_.end() || !found->second.recipients.contains(recipient)) {
    run.fail("agency " + std::to_string(recipient) + " got " + document_id +
             ", which was not sent to it");
    return;
  }
  ++found->second.deliveries[recipient];
  delivered_ids_[{document_id, recipient}] = hub_id;
}

void Ledger::status_arrived(const std::string& document_id, std::size_t from, RunControl& run) {
  std::lock_guard lock(mutex_);
  auto found = documents_.find(document_id);
  if (found == documents_.end()) {
    run.fail("a status about unknown document " + document_id);
    return;
  }
  ++found->second.statuses[from];
}

std::uint64_t Ledger::receipts() const {
  std::lock_guard lock(mutex_);
  return receipts_;
}

bool Ledger::settled() const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, document] : documents_) {
    if (document.receipted_ids.empty()) return false;
    for (std::size_t recipient : document.recipients) {
      if (!document.deliveries.contains(recipient) || !document.statuses.contains(recipient))
        return false;
    }
  }
  return true;
}

std::map<std::string, Ledger::Document> Ledger::documents() const {
  std::lock_guard lock(mutex_);
  return documents_;
}

std::string Ledger::delivered_id(const std::string& document_id, std::size_t recipient) const {
  std::lock_guard lock(mutex_);
  auto found = delivered_ids_.find({document_id, recipient});
  return found == delivered_ids_.end() ? "" : found->second;
}

std::uint64_t Ledger::suppressed() const {
  std::lock_guard lock(mutex_);
  return suppressed_;
}

}  // namespace truc::crash
