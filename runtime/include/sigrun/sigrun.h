/* The Sigrun C API: load a rule pack (`sigrun compile RULES -o rules.pack`) and evaluate JSON events,
 * from C, or from any language that calls C (Go through cgo, Rust through FFI, Python through ctypes).
 *
 *   #include <sigrun/sigrun.h>
 *
 *   static void on_match(const sigrun_match* m, void* user) {
 *     printf("%s: %.*s\n", m->rule_title, (int)m->message_len, m->message);
 *   }
 *
 *   sigrun_error* error = NULL;
 *   sigrun_engine* engine = NULL;
 *   if (sigrun_engine_load("rules.pack", 0, &engine, &error) != SIGRUN_OK) {
 *     fprintf(stderr, "%s\n", sigrun_error_message(error));
 *     sigrun_error_free(error);
 *     return 1;
 *   }
 *   sigrun_scanner* scanner = NULL;
 *   sigrun_scanner_new(engine, &scanner, NULL);            // one per thread
 *   const char* event = "{\"eventName\":\"InviteAccountToOrganization\"}";
 *   sigrun_scan_event(scanner, event, strlen(event), 1, SIGRUN_FORMAT_JSON, on_match, NULL, NULL);
 *   sigrun_scanner_free(scanner);
 *   sigrun_engine_free(engine);
 *
 * Errors. Every fallible function returns a sigrun_status: SIGRUN_OK (0) or the kind of failure. When its
 * `error` argument is not NULL, `*error` is set to NULL on success and, on failure, to a new error holding
 * the status and a message; the caller frees it with sigrun_error_free(). No C++ exception ever leaves
 * this API: allocation failures return SIGRUN_OUT_OF_MEMORY, anything unexpected SIGRUN_INTERNAL.
 *
 * Thread safety. An engine is shared: every sigrun_engine_* function may be called from any thread at any
 * time, including sigrun_engine_reload() while scanners run. A scanner holds per-thread scratch: use each
 * from one thread at a time (one scanner per thread). Errors are owned by their caller.
 *
 * Lifetimes. An engine must outlive its scanners. Everything a callback receives (match fields, messages,
 * reasons) is valid only during that call; the event text is the caller's own buffer. Callbacks must
 * return normally (no C++ exception, no longjmp).
 *
 * Hot reload. sigrun_engine_reload() loads a new pack and, only if it loads completely, makes it the
 * engine's rules: every event whose evaluation starts afterwards uses the new rules, events already being
 * evaluated finish with the old ones, no event is lost or evaluated twice. A failed reload leaves the old
 * rules running and returns why.
 */
#ifndef SIGRUN_SIGRUN_H
#define SIGRUN_SIGRUN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sigrun_status {
  SIGRUN_OK = 0,
  SIGRUN_INVALID_ARGUMENT = 1, /* a NULL handle or buffer, an unknown flag or format */
  SIGRUN_INVALID_PROGRAM = 2,  /* the pack's program refers to slots, operands or nodes it lacks */
  SIGRUN_INVALID_REGEX = 3,    /* a regex of the pack does not compile */
  SIGRUN_IO = 4,               /* the pack file cannot be opened or read */
  SIGRUN_NATIVE = 5,           /* the pack's native code cannot be loaded */
  SIGRUN_INVALID_PACK = 6,     /* not a pack, truncated, corrupted (checksum), malformed */
  SIGRUN_UNSUPPORTED_PACK = 7, /* another format version or opcode table, CPU features this machine lacks */
  SIGRUN_INVALID_EVENT = 8,    /* sigrun_scan_event: the event is not a JSON object */
  SIGRUN_OUT_OF_MEMORY = 9,
  SIGRUN_INTERNAL = 10 /* an unexpected failure inside the library: a bug, please report it */
} sigrun_status;

/* How events name their fields (docs/semantics.md, "Input shapes"). */
typedef enum sigrun_input_format {
  SIGRUN_FORMAT_AUTO = 0,      /* per event: evtx-json when it has Event.System, else json */
  SIGRUN_FORMAT_JSON = 1,      /* JSON names: a literal dotted key, else the nested path */
  SIGRUN_FORMAT_EVTX_JSON = 2, /* evtx_dump events, fields by their Sigma names (EventID, Image) */
  SIGRUN_FORMAT_CLOUDTRAIL = 3 /* one CloudTrail record per event: as auto */
} sigrun_input_format;

/* sigrun_engine_load flags. */
#define SIGRUN_LOAD_INTERPRETER 1u /* ignore the pack's native code: run the rules in the interpreter */

typedef struct sigrun_engine sigrun_engine;
typedef struct sigrun_scanner sigrun_scanner;
typedef struct sigrun_error sigrun_error;

/* One rule an event matched. Strings are NUL-terminated unless a length is given. */
typedef struct sigrun_match {
  size_t rule_index;   /* position of the rule in the pack */
  const char* rule_id; /* the rule's id (a UUID), "" when it has none */
  const char* rule_title;
  const char* rule_level; /* "informational" .. "critical", "" when unset */
  const char* rule_status;
  const char* rule_author;      /* must be kept with the match (Detection Rule License) */
  const char* const* rule_tags; /* rule_tag_count tags */
  size_t rule_tag_count;
  const char* message; /* the triage message rendered with the event's values */
  size_t message_len;
  const char* event; /* the event's text: the caller's buffer, NOT NUL-terminated */
  size_t event_len;
  uint64_t line; /* 1-based line in the buffer; the `line` given to sigrun_scan_event */
} sigrun_match;

/* Counters of one sigrun_scan_ndjson call: events_read == events_evaluated + events_rejected. */
typedef struct sigrun_scan_stats {
  uint64_t events_read;
  uint64_t events_evaluated;
  uint64_t events_rejected;
  uint64_t matches;
  uint64_t bytes_read;
} sigrun_scan_stats;

typedef void (*sigrun_match_fn)(const sigrun_match* match, void* user_data);
/* A line of an NDJSON buffer that is not a JSON object: its 1-based number and why (NUL-terminated). */
typedef void (*sigrun_event_error_fn)(uint64_t line, const char* reason, void* user_data);

/* The library's version, "MAJOR.MINOR.PATCH". Static storage. */
const char* sigrun_version(void);

/* A short description of a sigrun_status ("invalid pack"). Static storage; "unknown status" for other values.
 */
const char* sigrun_status_string(int status);

/* The status and message (NUL-terminated, lower-case, saying what was wrong) of an error. The message is
 * valid until the error is freed. Both accept NULL (SIGRUN_OK and "" then). */
sigrun_status sigrun_error_status(const sigrun_error* error);
const char* sigrun_error_message(const sigrun_error* error);
void sigrun_error_free(sigrun_error* error);

/* Loads the pack at `path` (`flags`: 0 or SIGRUN_LOAD_INTERPRETER) into a new engine, `*engine`. The
 * whole file is checked first; a pack that fails any check is refused and nothing of it stays loaded.
 * Errors: INVALID_ARGUMENT (NULL path or engine, unknown flags), IO, INVALID_PACK, UNSUPPORTED_PACK,
 * INVALID_PROGRAM, INVALID_REGEX, NATIVE, OUT_OF_MEMORY. */
sigrun_status sigrun_engine_load(const char* path, uint32_t flags, sigrun_engine** engine,
                                 sigrun_error** error);

/* The same for a pack in memory (`size` bytes at `data`, only read during the call). */
sigrun_status sigrun_engine_load_bytes(const void* data, size_t size, uint32_t flags, sigrun_engine** engine,
                                       sigrun_error** error);

/* Replaces the engine's rules by the pack at `path`, or in memory, while scanners keep running (see "Hot
 * reload" above). Errors: as sigrun_engine_load; the old rules stay current then. */
sigrun_status sigrun_engine_reload(sigrun_engine* engine, const char* path, uint32_t flags,
                                   sigrun_error** error);
sigrun_status sigrun_engine_reload_bytes(sigrun_engine* engine, const void* data, size_t size, uint32_t flags,
                                         sigrun_error** error);

/* The number of rules of the current pack; 0 for NULL. */
size_t sigrun_engine_rule_count(const sigrun_engine* engine);

/* 1 for the pack loaded first, one more for each successful reload; 0 for NULL. */
uint64_t sigrun_engine_generation(const sigrun_engine* engine);

/* 1 when the current rules run as native code, 0 in the interpreter (or for NULL). */
int sigrun_engine_is_native(const sigrun_engine* engine);

/* Frees the engine. Its scanners must have been freed. NULL is ignored. */
void sigrun_engine_free(sigrun_engine* engine);

/* A new scanner of `engine`, `*scanner`. Errors: INVALID_ARGUMENT, OUT_OF_MEMORY. */
sigrun_status sigrun_scanner_new(sigrun_engine* engine, sigrun_scanner** scanner, sigrun_error** error);

/* Frees the scanner. NULL is ignored. */
void sigrun_scanner_free(sigrun_scanner* scanner);

/* `format` arguments are sigrun_input_format values, passed as int so any value a caller sends is defined
 * (an unknown one is an INVALID_ARGUMENT error). */

/* Evaluates one JSON event (`size` bytes at `json`, not necessarily NUL-terminated) and calls `on_match`
 * (may be NULL) for every rule it matches, in rule order; each match's `line` is `line`. Errors:
 * INVALID_ARGUMENT (NULL scanner, NULL json with a non-zero size, unknown format), INVALID_EVENT (not a
 * JSON object: the message says why; nothing was matched), OUT_OF_MEMORY. */
sigrun_status sigrun_scan_event(sigrun_scanner* scanner, const char* json, size_t size, uint64_t line,
                                int format, sigrun_match_fn on_match, void* user_data, sigrun_error** error);

/* Evaluates every line of an NDJSON buffer: blank lines are skipped, CRLF is accepted, a last line
 * without newline counts. A line that is not a JSON object goes to `on_error` (may be NULL) and the scan
 * goes on; that is not a failure of the call. Fills `*stats` when `stats` is not NULL. Errors:
 * INVALID_ARGUMENT (NULL scanner, NULL data with a non-zero size, unknown format), OUT_OF_MEMORY. */
sigrun_status sigrun_scan_ndjson(sigrun_scanner* scanner, const char* data, size_t size, int format,
                                 sigrun_match_fn on_match, sigrun_event_error_fn on_error, void* user_data,
                                 sigrun_scan_stats* stats, sigrun_error** error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SIGRUN_SIGRUN_H */
