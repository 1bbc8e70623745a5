#pragma once

// How the hub's records look in the JSON of every API (native, admin): one rendering each.

#include <boost/json.hpp>

#include "truc/hub/hub.hpp"
#include "truc/store/repository.hpp"

namespace truc::api {

boost::json::object receipt_json(const hub::Receipt& receipt);
boost::json::object package_json(const store::PackageRecord& package);
boost::json::object delivery_json(const store::DeliveryRecord& delivery);
boost::json::object event_json(const store::EventRecord& event);
boost::json::object trace_json(const hub::PackageTrace& trace);
boost::json::object agency_json(const store::Agency& agency);
boost::json::object certificate_json(const store::AgencyCertificate& certificate);

}  // namespace truc::api
