# Flow table (analyzer/sv_flows.c): real captures read with libpcap and
# decoded with sv_decode, checked against tshark -z conv,tcp / conv,udp;
# plus synthetic sv_packet cases (merge, initiator, idle, limit, frags).
add_executable(test_flows test_flows.c)
target_link_libraries(test_flows PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_flows PRIVATE
  SV_NET_DATA="${SV_READER_DATA}")
add_test(NAME flows COMMAND test_flows)
set_tests_properties(flows PROPERTIES TIMEOUT 120)
