/* Scans an NDJSON file with a rule pack through the C API (sigrun/sigrun.h) and prints each match.
 *
 *   sigrun compile rules/ -o aws.pack
 *   cc -std=c11 scan_pack.c $(pkg-config --cflags --libs sigrun) -o scan_pack
 *   ./scan_pack aws.pack examples/cloudtrail/organizations.ndjson
 *
 * Built and run by the tests (ctest -L examples).
 */
#include <sigrun/sigrun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole file; NULL on failure. */
static char* read_file(const char* path, size_t* size) {
  FILE* file = fopen(path, "rb");
  if (file == NULL)
    return NULL;
  char* data = NULL;
  size_t used = 0;
  size_t capacity = 0;
  for (;;) {
    if (used == capacity) {
      capacity = capacity ? capacity * 2 : 65536;
      char* grown = realloc(data, capacity);
      if (grown == NULL) {
        free(data);
        fclose(file);
        return NULL;
      }
      data = grown;
    }
    size_t n = fread(data + used, 1, capacity - used, file);
    used += n;
    if (n == 0)
      break;
  }
  int failed = ferror(file);
  fclose(file);
  if (failed) {
    free(data);
    return NULL;
  }
  *size = used;
  return data;
}

static void print_match(const sigrun_match* match, void* user_data) {
  (void)user_data;
  printf("line %llu: %s (%s): %.*s [rule %s by %s]\n", (unsigned long long)match->line, match->rule_title,
         match->rule_level, (int)match->message_len, match->message, match->rule_id, match->rule_author);
}

static void print_event_error(uint64_t line, const char* reason, void* user_data) {
  (void)user_data;
  fprintf(stderr, "line %llu: skipped: %s\n", (unsigned long long)line, reason);
}

static int fail(const char* what, sigrun_error* error) {
  fprintf(stderr, "scan_pack: %s: %s (%s)\n", what, sigrun_error_message(error),
          sigrun_status_string(sigrun_error_status(error)));
  sigrun_error_free(error);
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: scan_pack PACK EVENTS.ndjson\n");
    return 2;
  }
  printf("sigrun %s\n", sigrun_version());

  sigrun_error* error = NULL;
  sigrun_engine* engine = NULL;
  if (sigrun_engine_load(argv[1], 0, &engine, &error) != SIGRUN_OK)
    return fail(argv[1], error);
  printf("loaded %s: %zu rules, %s\n", argv[1], sigrun_engine_rule_count(engine),
         sigrun_engine_is_native(engine) ? "native code" : "interpreter");

  sigrun_scanner* scanner = NULL;
  if (sigrun_scanner_new(engine, &scanner, &error) != SIGRUN_OK) {
    sigrun_engine_free(engine);
    return fail("scanner", error);
  }

  /* One event on its own: a malformed one is refused with the reason. */
  const char* broken = "{\"eventName\": ";
  if (sigrun_scan_event(scanner, broken, strlen(broken), 0, SIGRUN_FORMAT_JSON, print_match, NULL, &error) !=
      SIGRUN_OK) {
    printf("a single malformed event: %s: %s\n", sigrun_status_string(sigrun_error_status(error)),
           sigrun_error_message(error));
    sigrun_error_free(error);
  }

  /* A buffer of NDJSON: matches point into it, nothing is copied. */
  size_t size = 0;
  char* events = read_file(argv[2], &size);
  if (events == NULL) {
    perror(argv[2]);
    sigrun_scanner_free(scanner);
    sigrun_engine_free(engine);
    return 1;
  }
  sigrun_scan_stats stats;
  int status = 0;
  if (sigrun_scan_ndjson(scanner, events, size, SIGRUN_FORMAT_AUTO, print_match, print_event_error, NULL,
                         &stats, &error) != SIGRUN_OK) {
    status = fail("scan", error);
  } else {
    printf("%llu events, %llu evaluated, %llu rejected, %llu matches\n",
           (unsigned long long)stats.events_read, (unsigned long long)stats.events_evaluated,
           (unsigned long long)stats.events_rejected, (unsigned long long)stats.matches);
  }
  free(events);
  sigrun_scanner_free(scanner);
  sigrun_engine_free(engine);
  return status;
}
