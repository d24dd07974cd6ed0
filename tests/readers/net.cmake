# Network decoding (issue 4): formats/net/sv_decode.c. The test reads the
# real captures in data/pcap and data/capture (shared with test_pcap.c)
# with libpcap, which salvage_core links, and checks the decoder against
# tshark's view (see data/SOURCES.md).
add_executable(test_decode test_decode.c)
target_link_libraries(test_decode PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_decode PRIVATE
  SV_NET_DATA="${SV_READER_DATA}")
add_test(NAME decode COMMAND test_decode)
set_tests_properties(decode PROPERTIES TIMEOUT 120)
