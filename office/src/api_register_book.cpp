#include "api_support.hpp"
#include "truc/common/random.hpp"
#include "truc/office/register_book.hpp"
#include "truc/store/blob_store.hpp"

namespace truc::office {

using http::BodyMode;
using http::Request;
using http::Response;

void add_register_book_routes(RouteTable& routes, ApiServices services) {
  RegisterBooks& books = services.register_books;
  const store::BlobStore& blobs = services.blobs;
  // The book is written to the spool directory, on the disk rather than in memory, and the
  // transport removes the file once it has it open.
  routes.add("GET", "/catalogues/registers/{id}/book", BodyMode::none, Action::view_incoming,
             [&books, &blobs](Request& request) {
               auto id = id_parameter(request, "id");
               if (!id) return error_response(id.error());
               auto name = random_hex(16);
               if (!name) return error_response(name.error());
               const auto file = blobs.temporary_directory() / ("register-book-" + *name + ".pdf");
               auto written =
                   books.write_incoming(session_of(request).account.agency_id, *id, file);
               if (!written) return error_response(written.error());
               Response response;
               response.body_file = file;
               response.body_file_temporary = true;
               response.headers = {
                   {"Content-Type", "application/pdf"},
                   {"Content-Disposition",
                    "inline; filename=\"so-den-" + std::to_string(written->year) + ".pdf\""},
                   {"X-Content-Type-Options", "nosniff"},
                   {"Cache-Control", "private, no-store"},
                   {"Content-Security-Policy", "default-src 'none'; object-src 'self'; sandbox"}};
               return response;
             });
}

}  // namespace truc::office
