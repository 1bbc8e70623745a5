#include "truc/office/register_book.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>
#include <utility>

#include "truc/store/database.hpp"

namespace truc::office {
namespace {

// A4 landscape in points, with the left margin wider for binding.
constexpr double kPageWidth = 841.89;
constexpr double kPageHeight = 595.28;
constexpr double kMarginLeft = 42.5;
constexpr double kMarginRight = 28.35;
constexpr double kMarginTop = 34.0;
constexpr double kMarginBottom = 42.5;
constexpr double kCellPadding = 3.0;
constexpr double kRuleWidth = 0.5;
constexpr int kBodySize = 10;
constexpr int kHeadingSize = 10;
// Rows read per query: enough to keep round trips few, small enough that a register of any
// size takes the same memory.
constexpr int kBatchRows = 200;

struct Column {
  const char* heading;
  double width;  // points; the widths add up to the page between the margins
};

// Appendix IV, incoming register, in its order.
constexpr std::array<Column, 10> kColumns{{
    {"Ngày đến", 56},
    {"Số đến", 34},
    {"Tác giả", 100},
    {"Số, ký hiệu", 90},
    {"Ngày tháng", 56},
    {"Tên loại và trích yếu nội dung", 200},
    {"Đơn vị hoặc người nhận", 100},
    {"Ngày chuyển", 56},
    {"Ký nhận", 42},
    {"Ghi chú", 37.04},
}};
using Cells = std::array<std::string, kColumns.size()>;

// The letters a font must have for the book to read right: the vowels with their tone marks
// and đ, in both cases.
constexpr std::string_view kVietnameseSample = "ăâêôơưđĂÂÊÔƠƯĐắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữự";

struct SurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoDeleter {
  void operator()(cairo_t* cairo) const { cairo_destroy(cairo); }
};
struct GObjectDeleter {
  void operator()(void* object) const { g_object_unref(object); }
};
struct FontDescriptionDeleter {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
template <typename T>
using GObject = std::unique_ptr<T, GObjectDeleter>;
using FontDescription = std::unique_ptr<PangoFontDescription, FontDescriptionDeleter>;

FontDescription font(int size, PangoWeight weight = PANGO_WEIGHT_NORMAL,
                     PangoStyle style = PANGO_STYLE_NORMAL) {
  FontDescription description(pango_font_description_new());
  pango_font_description_set_family(description.get(), kRegisterBookFont);
  pango_font_description_set_size(description.get(), size * PANGO_SCALE);
  pango_font_description_set_weight(description.get(), weight);
  pango_font_description_set_style(description.get(), style);
  return description;
}

Error font_missing(const std::string& detail) {
  return Error{"office.font_missing", "the register book's font is not installed", detail};
}

// Fontconfig answers every request with some font; the book must not come out in a substitute
// that lacks Vietnamese letters, so the font found must be the one asked for, with them all.
Status check_font(PangoFontMap* fonts, PangoContext* context) {
  FontDescription wanted = font(kBodySize);
  GObject<PangoFont> found(pango_font_map_load_font(fonts, context, wanted.get()));
  if (!found) return font_missing(kRegisterBookFont);
  FontDescription described(pango_font_describe(found.get()));
  const char* family = pango_font_description_get_family(described.get());
  if (family == nullptr || g_ascii_strcasecmp(family, kRegisterBookFont) != 0) {
    return font_missing(std::string(kRegisterBookFont) + " (found " +
                        (family == nullptr ? "nothing" : family) + ")");
  }
  const char* const end = kVietnameseSample.data() + kVietnameseSample.size();
  for (const char* letter = kVietnameseSample.data(); letter < end;) {
    const char* next = g_utf8_next_char(letter);
    if (!pango_font_has_char(found.get(), g_utf8_get_char(letter))) {
      return font_missing(std::string(kRegisterBookFont) + " has no " +
                          std::string(letter, static_cast<std::size_t>(next - letter)));
    }
    letter = next;
  }
  return ok_status();
}

// Text from a sender's package may be any bytes; pango wants UTF-8.
std::string valid_utf8(const std::string& text) {
  char* valid = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string result(valid);
  g_free(valid);
  return result;
}

std::string upper(const std::string& text) {
  char* upper_case = g_utf8_strup(text.data(), static_cast<gssize>(text.size()));
  std::string result(upper_case);
  g_free(upper_case);
  return result;
}

double points(int pango_units) { return static_cast<double>(pango_units) / PANGO_SCALE; }
int pango_units(double points) { return static_cast<int>(points * PANGO_SCALE); }

// The pages of one book on a cairo PDF surface: the cover, then rows added one by one, a page
// broken before a row that does not fit, with the table header at the top of each page.
class BookPages {
 public:
  BookPages(cairo_t* cairo, PangoContext* context)
      : cairo_(cairo),
        context_(context),
        body_(font(kBodySize)),
        bold_(font(kHeadingSize, PANGO_WEIGHT_BOLD)) {}

  void cover(const std::string& agency, const std::string& register_name, int year,
             std::int64_t first, std::int64_t last) {
    const double width = kPageWidth - kMarginLeft - kMarginRight;
    double y = kMarginTop + 20;
    y += draw(upper(agency), kMarginLeft, y, width, font(14, PANGO_WEIGHT_BOLD).get(),
              PANGO_ALIGN_CENTER);
    y = kPageHeight * 0.32;
    y += draw("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", kMarginLeft, y, width, font(26, PANGO_WEIGHT_BOLD).get(),
              PANGO_ALIGN_CENTER);
    y += 18;
    y += draw(register_name, kMarginLeft, y, width, font(16).get(), PANGO_ALIGN_CENTER);
    y += 10;
    y += draw("Năm " + std::to_string(year), kMarginLeft, y, width,
              font(16, PANGO_WEIGHT_BOLD).get(), PANGO_ALIGN_CENTER);
    y += 24;
    const std::string range =
        last == 0 ? "Chưa có văn bản nào được vào sổ"
                  : "Từ số " + std::to_string(first) + " đến số " + std::to_string(last);
    draw(range, kMarginLeft, y, width, font(13, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC).get(),
         PANGO_ALIGN_CENTER);
    cairo_show_page(cairo_);
  }

  void add_row(const Cells& cells) {
    std::array<GObject<PangoLayout>, kColumns.size()> layouts;
    double height = 0;
    for (std::size_t column = 0; column < kColumns.size(); ++column) {
      layouts[column] = cell_layout(cells[column], kColumns[column].width, body_.get(),
                                    column == 1 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
      int layout_height = 0;
      pango_layout_get_size(layouts[column].get(), nullptr, &layout_height);
      height = std::max(height, points(layout_height) + 2 * kCellPadding);
    }
    if (!page_open_ || y_ + height > kPageHeight - kMarginBottom) start_page();
    draw_row(layouts, height);
  }

  // Every book has a table page, even one with no rows yet.
  void finish() {
    if (!page_open_) start_page();
    end_page();
  }

 private:
  // The tallest a cell may be: what fits on a page below the header, ellipsised beyond, so that
  // every row fits on a page whatever a sender wrote.
  static double cell_height_limit() { return (kPageHeight - kMarginTop - kMarginBottom) * 0.75; }

  GObject<PangoLayout> cell_layout(const std::string& text, double width,
                                   const PangoFontDescription* cell_font,
                                   PangoAlignment alignment) {
    GObject<PangoLayout> layout(pango_layout_new(context_));
    pango_layout_set_font_description(layout.get(), cell_font);
    pango_layout_set_width(layout.get(), pango_units(width - 2 * kCellPadding));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), alignment);
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_height(layout.get(), pango_units(cell_height_limit()));
    const std::string valid = valid_utf8(text);
    pango_layout_set_text(layout.get(), valid.data(), static_cast<int>(valid.size()));
    return layout;
  }

  // Draws a block of text at (x, y), `width` wide; returns its height.
  double draw(const std::string& text, double x, double y, double width,
              const PangoFontDescription* text_font, PangoAlignment alignment) {
    GObject<PangoLayout> layout = cell_layout(text, width + 2 * kCellPadding, text_font, alignment);
    cairo_move_to(cairo_, x, y);
    pango_cairo_show_layout(cairo_, layout.get());
    int height = 0;
    pango_layout_get_size(layout.get(), nullptr, &height);
    return points(height);
  }

  void draw_row(const std::array<GObject<PangoLayout>, kColumns.size()>& layouts, double height) {
    double x = kMarginLeft;
    cairo_set_line_width(cairo_, kRuleWidth);
    for (std::size_t column = 0; column < kColumns.size(); ++column) {
      cairo_rectangle(cairo_, x, y_, kColumns[column].width, height);
      cairo_stroke(cairo_);
      cairo_move_to(cairo_, x + kCellPadding, y_ + kCellPadding);
      pango_cairo_show_layout(cairo_, layouts[column].get());
      x += kColumns[column].width;
    }
    y_ += height;
  }

  void start_page() {
    if (page_open_) end_page();
    page_open_ = true;
    ++page_;
    y_ = kMarginTop;
    std::array<GObject<PangoLayout>, kColumns.size()> headings;
    double height = 0;
    for (std::size_t column = 0; column < kColumns.size(); ++column) {
      headings[column] = cell_layout(kColumns[column].heading, kColumns[column].width, bold_.get(),
                                     PANGO_ALIGN_CENTER);
      int layout_height = 0;
      pango_layout_get_size(headings[column].get(), nullptr, &layout_height);
      height = std::max(height, points(layout_height) + 2 * kCellPadding);
    }
    draw_row(headings, height);
  }

  void end_page() {
    const double width = kPageWidth - kMarginLeft - kMarginRight;
    draw("Trang " + std::to_string(page_), kMarginLeft, kPageHeight - kMarginBottom + 12, width,
         body_.get(), PANGO_ALIGN_CENTER);
    cairo_show_page(cairo_);
    page_open_ = false;
  }

  cairo_t* cairo_;
  PangoContext* context_;
  FontDescription body_;
  FontDescription bold_;
  bool page_open_ = false;
  int page_ = 0;
  double y_ = 0;
};

Error pdf_failed(cairo_status_t status, const std::filesystem::path& destination) {
  return Error{"office.pdf_failed", "the register book could not be written",
               destination.string() + ": " + cairo_status_to_string(status)};
}

std::string optional_cell(const store::Rows& rows, std::size_t row, std::size_t column) {
  return rows.optional_text(row, column).value_or("");
}

// A row of the register as Appendix IV lays it out. Columns of the query, in order: arrival
// number, arrival date, sender, number, notation, date, type, subject, main handler, their
// department, date passed on, and the note of a document recalled and void (paper documents have
// no package: they arrive when the clerk registers them).
Cells cells_at(const store::Rows& rows, std::size_t row) {
  const std::string notation = rows.text(row, 4);
  std::string receiver = optional_cell(rows, row, 8);
  if (const std::string department = optional_cell(rows, row, 9); !department.empty()) {
    receiver += "\n" + department;
  }
  return Cells{rows.text(row, 1),
               rows.text(row, 0),
               rows.text(row, 2),
               rows.text(row, 3) + (notation.empty() ? "" : "/" + notation),
               optional_cell(rows, row, 5),
               rows.text(row, 6) + "\n" + rows.text(row, 7),
               std::move(receiver),
               optional_cell(rows, row, 10),
               "",
               rows.text(row, 11)};
}

// Dates are days in Vietnam, whatever the database server's time zone.
constexpr const char* kBookRows =
    "SELECT i.arrival_number, "
    "to_char(coalesce(p.received_at, i.registered_at) AT TIME ZONE 'Asia/Ho_Chi_Minh', "
    "'DD/MM/YYYY'), i.sender_name, "
    "i.code_number, i.code_notation, to_char(i.promulgation_date, 'DD/MM/YYYY'), "
    "i.document_type, i.subject, u.full_name, d.name, "
    "to_char(a.assigned_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY'), "
    "CASE WHEN i.recall_state = 'accepted' THEN 'Đã thu hồi' ELSE '' END "
    "FROM incoming_documents i LEFT JOIN received_packages p ON p.id = i.package_id "
    "LEFT JOIN assignments a ON a.incoming_id = i.id AND a.agency_id = i.agency_id "
    "LEFT JOIN users u ON u.id = a.main_handler "
    "LEFT JOIN departments d ON d.id = u.department_id "
    "WHERE i.agency_id = $1 AND i.register_id = $2 AND i.arrival_number > $3 "
    "ORDER BY i.arrival_number LIMIT $4";

Result<RegisterBookWritten> write_book(store::Pool& database, std::int64_t agency_id,
                                       std::int64_t register_id,
                                       const std::filesystem::path& destination) {
  GObject<PangoFontMap> fonts(pango_cairo_font_map_new());
  GObject<PangoContext> context(pango_font_map_create_context(fonts.get()));
  // Cairo's PDF units are points: at pango's default 96 dpi a 10 pt font would print at 13.3.
  pango_cairo_context_set_resolution(context.get(), 72);
  TRUC_TRY(check_font(fonts.get(), context.get()));

  auto connection = database.acquire();
  if (!connection) return std::move(connection).error();
  auto transaction = store::Transaction::begin(**connection);
  if (!transaction) return std::move(transaction).error();
  // One snapshot for every page: a document registered meanwhile is in the next print, not
  // half in this one.
  auto snapshot =
      transaction->execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  if (!snapshot) return std::move(snapshot).error();
  const std::string agency = std::to_string(agency_id);
  const std::string register_text = std::to_string(register_id);
  auto found = transaction->execute(
      "SELECT r.name, r.year, r.direction, a.name, "
      "(SELECT count(*) FROM incoming_documents i WHERE i.agency_id = r.agency_id "
      "AND i.register_id = r.id), "
      "(SELECT coalesce(min(arrival_number), 0) FROM incoming_documents i "
      "WHERE i.agency_id = r.agency_id AND i.register_id = r.id), "
      "(SELECT coalesce(max(arrival_number), 0) FROM incoming_documents i "
      "WHERE i.agency_id = r.agency_id AND i.register_id = r.id) "
      "FROM registers r JOIN agencies a ON a.id = r.agency_id "
      "WHERE r.agency_id = $1 AND r.id = $2",
      {agency, register_text});
  if (!found) return std::move(found).error();
  if (found->empty()) {
    return Error{"register.not_found", "the agency has no register with this id", register_text};
  }
  if (found->text(0, 2) != "incoming") {
    return Error{"register.not_incoming", "only incoming registers are printed for now",
                 register_text};
  }
  RegisterBookWritten written{found->text(0, 0), static_cast<int>(found->integer(0, 1)),
                              found->integer(0, 4)};

  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_pdf_surface_create(destination.c_str(), kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return pdf_failed(cairo_surface_status(surface.get()), destination);
  }
  const std::string title = "Sổ đăng ký văn bản đến – " + written.register_name;
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR,
                                 found->text(0, 3).c_str());
  std::unique_ptr<cairo_t, CairoDeleter> cairo(cairo_create(surface.get()));
  pango_cairo_update_context(cairo.get(), context.get());
  BookPages pages(cairo.get(), context.get());
  pages.cover(found->text(0, 3), written.register_name, written.year, found->integer(0, 5),
              found->integer(0, 6));

  // Keyset pages by arrival number: each query starts after the last number drawn.
  std::int64_t last_number = 0;
  for (;;) {
    auto rows = transaction->execute(kBookRows, {agency, register_text, std::to_string(last_number),
                                                 std::to_string(kBatchRows)});
    if (!rows) return std::move(rows).error();
    for (std::size_t row = 0; row < rows->size(); ++row) pages.add_row(cells_at(*rows, row));
    if (rows->size() < static_cast<std::size_t>(kBatchRows)) break;
    last_number = rows->integer(rows->size() - 1, 0);
  }
  pages.finish();
  TRUC_TRY(transaction->commit());

  cairo.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return pdf_failed(cairo_surface_status(surface.get()), destination);
  }
  return written;
}

}  // namespace

Result<RegisterBookWritten> RegisterBooks::write_incoming(
    std::int64_t agency_id, std::int64_t register_id, const std::filesystem::path& destination) {
  auto written = write_book(database_, agency_id, register_id, destination);
  // Half a book is no book: nothing is left of one that failed.
  if (!written) {
    std::error_code ignored;
    std::filesystem::remove(destination, ignored);
  }
  return written;
}

}  // namespace truc::office

#if defined(__SANITIZE_ADDRESS__)
// Fontconfig, which pango asks for fonts, keeps a little of its one-time initialisation where no
// pointer reaches it, and never frees it; the leak checker would fail every process that printed
// a book. Nothing of the office's own is suppressed.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif
