#include <cassert>

#include "server_core.hpp"

namespace truc::http {

ConnectionCounts::ConnectionCounts(const ListenerSettings& settings)
    : max_unauthenticated_(settings.max_connections),
      max_total_(settings.max_connections + settings.reserved_connections),
      max_per_address_(settings.max_connections_per_address) {}

bool ConnectionCounts::start_handshake(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (handshaking_ + authenticated_ + unauthenticated_ >= max_total_) return false;
  std::size_t& from_address = handshaking_by_address_[address];
  if (max_per_address_ != 0 && from_address >= max_per_address_) return false;
  ++from_address;
  ++handshaking_;
  return true;
}

bool ConnectionCounts::finish_handshake(const std::string& address, bool authenticated) {
  std::lock_guard lock(mutex_);
  release_handshake(address);
  if (authenticated) {
    ++authenticated_;
    return true;
  }
  std::size_t& from_address = unauthenticated_by_address_[address];
  const bool address_full = max_per_address_ != 0 && from_address >= max_per_address_;
  if (address_full || unauthenticated_ >= max_unauthenticated_) {
    if (from_address == 0) unauthenticated_by_address_.erase(address);
    return false;
  }
  ++from_address;
  ++unauthenticated_;
  return true;
}

void ConnectionCounts::release(const std::string& address, Kind kind) {
  std::lock_guard lock(mutex_);
  switch (kind) {
    case Kind::handshaking:
      release_handshake(address);
      break;
    case Kind::authenticated:
      --authenticated_;
      break;
    case Kind::unauthenticated: {
      auto found = unauthenticated_by_address_.find(address);
      assert(found != unauthenticated_by_address_.end());
      if (--found->second == 0) unauthenticated_by_address_.erase(found);
      --unauthenticated_;
      break;
    }
  }
}

void ConnectionCounts::release_handshake(const std::string& address) {
  auto found = handshaking_by_address_.find(address);
  assert(found != handshaking_by_address_.end());
  if (--found->second == 0) handshaking_by_address_.erase(found);
  --handshaking_;
}

std::optional<ConnectionSlot> ConnectionSlot::take(std::shared_ptr<Listener> listener,
                                                   std::string address) {
  if (!listener->connections.start_handshake(address)) return std::nullopt;
  return ConnectionSlot(std::move(listener), std::move(address));
}

bool ConnectionSlot::settle(bool authenticated) {
  assert(kind_ == ConnectionCounts::Kind::handshaking);
  if (!listener_->connections.finish_handshake(address_, authenticated)) {
    kind_.reset();  // its handshake was counted off, and it holds nothing else
    return false;
  }
  kind_ = authenticated ? ConnectionCounts::Kind::authenticated
                        : ConnectionCounts::Kind::unauthenticated;
  return true;
}

}  // namespace truc::http
