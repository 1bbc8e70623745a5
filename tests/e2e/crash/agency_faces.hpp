#pragma once

// How the crash test's agencies talk to the hub: through the native /v1 face or through the
// national platform's, behind one interface, so that the senders and receivers of the run are
// written once and exercise both faces. Each face reconnects on its own when the hub moves.

#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "truc/agency/hub_client.hpp"
#include "truc/common/error.hpp"
#include "truc/https/http_client.hpp"
#include "truc/testing/hub.hpp"
#include "truc/testing/platform_auth.hpp"

namespace truc::crash {

class HubAddress;

// A waiting package or status as a receiving agency lists it.
struct Listed {
  std::string id;
};

// How one agency's software talks to the hub: one face or the other. Not thread-safe: one per
// thread. Each call reconnects when the hub restarted since the last.
class AgencyFace {
 public:
  virtual ~AgencyFace() = default;
  // Sends a package (or a status packet, `status`); the hub's id for it.
  virtual Result<std::string> send(const std::filesystem::path& document, bool status) = 0;
  virtual Result<std::vector<Listed>> list(bool statuses) = 0;
  virtual Result<std::string> fetch(const std::string& id) = 0;
  // Ends delivery to this agency: ack (native) or updateStatus done (platform).
  virtual Result<bool> settle(const std::string& id) = 0;
};

class NativeFace final : public AgencyFace {
 public:
  NativeFace(const testing::HubProcess& hub, const HubAddress& address,
             const testing::TestAgency& agency, std::filesystem::path scratch);

  Result<std::string> send(const std::filesystem::path& document, bool) override;
  Result<std::vector<Listed>> list(bool statuses) override;
  Result<std::string> fetch(const std::string& id) override;
  Result<bool> settle(const std::string& id) override;

 private:
  agency::HubClient& client();

  const testing::HubProcess& hub_;
  const HubAddress& address_;
  const testing::TestAgency& agency_;
  std::filesystem::path scratch_;
  std::optional<agency::HubClient> client_;
  std::uint64_t generation_ = 0;
};

// The national platform's face as deployed software uses it: HMAC-signed form posts and
// multipart uploads (docs/api/compat.md), no client certificate.
class PlatformFace final : public AgencyFace {
 public:
  PlatformFace(const testing::HubProcess& hub, const HubAddress& address,
               const testing::TestAgency& agency, std::filesystem::path scratch);

  Result<std::string> send(const std::filesystem::path& document, bool status) override;
  Result<std::vector<Listed>> list(bool statuses) override;
  Result<std::string> fetch(const std::string& id) override;
  Result<bool> settle(const std::string& id) override;

 private:
  std::vector<https::Header> headers(const testing::HeaderList& call_headers) const;

  // A form post as the platform's SDK sends it: the parameters signed, and in the body too.
  // The values here are ids and words, so they need no URL encoding.
  Result<boost::json::object> form(const std::string& path, const testing::HeaderList& parameters);

  // An answer of the face: {"status": "OK", ...}, or its error code (the first word of
  // ErrorDesc) as an Error.
  template <typename Send>
  Result<boost::json::object> call(Send send);

  // A FAIL answer comes back as client.protocol holding the body: recover the stable code.
  static Error platform_error(Error error);

  const testing::HubProcess& hub_;
  const HubAddress& address_;
  const testing::TestAgency& agency_;
  std::filesystem::path scratch_;
  std::optional<https::HttpClient> http_;
  std::uint64_t generation_ = 0;
};

}  // namespace truc::crash
