# Application layer over flows (analyzer/sv_netapp.c): real captures read
# with libpcap, decoded, put through sv_flows and sv_netapp, checked
# against tshark; synthetic segments for reordering, gaps and caps.
add_executable(test_netapp test_netapp.c)
target_link_libraries(test_netapp PRIVATE salvage_core PkgConfig::CHECK)
target_compile_definitions(test_netapp PRIVATE
  SV_NET_DATA="${SV_READER_DATA}")
add_test(NAME netapp COMMAND test_netapp)
set_tests_properties(netapp PROPERTIES TIMEOUT 120)
