/*
 * sv_modelfile.h - model files: a struct sv_baseline (models/sv_baseline.h)
 * written to versioned XML and read back, refusing what it must not
 * trust.
 *
 * Format: models/model.xsd (namespace urn:salvage:model:1, version 1),
 *   <salvage-model version window-ns far alpha partial checksum created
 *                  salvage-version>
 *     <training><bundle sha256 name/>*</training>
 *     <workload key containers>
 *       <categorical family total other><value count>v</value>*</…>*
 *       <gauss kind n d features><mean/><m2/><t3/><q4/><fitted/>?</…>
 *       <rate family n sum sumsq/>*
 *       <calibration kind n features><vector/>*</calibration>
 *     </workload>*
 *   </salvage-model>
 * Doubles are "%.17g" and read back exactly. checksum is "sha256:" and
 * sv_baseline_digest() of the statistics; <fitted> is for people only.
 * A string XML cannot carry as it is (a value, key or bundle name with
 * control bytes or invalid UTF-8) is written as hex (hex="1", key-hex,
 * name-hex) so that it reads back byte for byte.
 *
 * Reading is for untrusted files: at most SV_MODELFILE_MAX bytes, no
 * DOCTYPE (so no entity is ever defined or expanded), no network, the
 * schema compiled into the binary, every count and length checked
 * against the baseline's caps, impossible statistics refused, the
 * checksum recomputed. Errors name the file, and the line when there is
 * one, and say which refusal it is: "not XML", "truncated", "foreign",
 * "made by a newer salvage", "schema-invalid", "corrupt".
 */
#ifndef SV_MODELFILE_H
#define SV_MODELFILE_H

#include <stddef.h>

#include "sv_baseline.h"
#include "sv_error.h"

#define SV_MODELFILE_NS "urn:salvage:model:1"
#define SV_MODELFILE_VERSION 1
/* Largest model file read: 512 MiB. */
#define SV_MODELFILE_MAX ((size_t)512 << 20)

/*
 * Write b to path, atomically (core/sv_outfile.h: a temporary name in
 * the same folder, renamed when complete; nothing is left on failure).
 * b is only read. SV_ERR_IO (cannot write; err names the path),
 * SV_ERR_CORRUPT (a statistic is not finite: b is damaged),
 * SV_ERR_NOMEM.
 */
enum sv_status sv_modelfile_write(const struct sv_baseline *b,
				  const char *path,
				  struct sv_error *err) SV_MUST_CHECK;

/*
 * Read the model file at path into a new baseline (*out, written only
 * on SV_OK; the caller frees it with sv_baseline_free()). Fitted
 * (sv_baseline_fit) unless the file says partial="1". Failures:
 *   SV_ERR_IO           cannot open or read it
 *   SV_ERR_LIMIT        larger than SV_MODELFILE_MAX, or over a cap of
 *                       the baseline (values, workloads, vectors)
 *   SV_ERR_TRUNCATED    the XML ends early
 *   SV_ERR_UNSUPPORTED  foreign (another root or namespace), or a newer
 *                       version than SV_MODELFILE_VERSION
 *   SV_ERR_CORRUPT      not XML, a DOCTYPE, schema-invalid, numbers that
 *                       disagree or are impossible, checksum mismatch
 *   SV_ERR_NOMEM
 */
enum sv_status sv_modelfile_read(const char *path, struct sv_baseline **out,
				 struct sv_error *err) SV_MUST_CHECK;

/*
 * The same from n bytes at buf (borrowed, not NUL-terminated), named
 * name in errors (e.g. the path; NULL: "model"). For the fuzzer.
 */
enum sv_status sv_modelfile_read_mem(const char *buf, size_t n,
				     const char *name,
				     struct sv_baseline **out,
				     struct sv_error *err) SV_MUST_CHECK;

#endif
