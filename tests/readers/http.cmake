# HTTP/1.x and Stratum parsers (formats/net/sv_http.c, sv_stratum.c):
# one program, test_http.c (captures against tshark, stream assembly,
# main) plus test_stratum.c; ctest runs each suite on its own.
add_executable(test_http test_http.c test_stratum.c)
target_link_libraries(test_http PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_http PRIVATE
  SV_NET_DATA="${SV_READER_DATA}")
add_test(NAME http COMMAND test_http http)
add_test(NAME stratum COMMAND test_http stratum)
set_tests_properties(http stratum PROPERTIES TIMEOUT 300)
