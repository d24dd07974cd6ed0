# The capture reader: formats/fmt_pcap.c on real captures in
# data/capture (origins in data/SOURCES.md). Uses the kt harness.
add_executable(test_pcap test_pcap.c kt_harness.c)
target_include_directories(test_pcap PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(test_pcap PRIVATE sv_testbundle salvage_core
  PkgConfig::CHECK)
target_compile_definitions(test_pcap PRIVATE SV_KT_DATA="${SV_READER_DATA}")
add_test(NAME pcap COMMAND test_pcap)
set_tests_properties(pcap PROPERTIES TIMEOUT 120)
