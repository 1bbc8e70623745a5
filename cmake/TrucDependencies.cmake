# Every dependency comes from a Debian package (scripts/bootstrap installs them); nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json program_options)
find_package(XercesC 3.2 REQUIRED)
find_package(GTest REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(XMLSEC REQUIRED IMPORTED_TARGET xmlsec1-openssl)
find_package(PostgreSQL 15 REQUIRED)
