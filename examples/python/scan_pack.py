#!/usr/bin/env python3
"""Scans an NDJSON file with a rule pack through the C API (sigrun/sigrun.h), from Python with ctypes.

    sigrun compile rules/ -o aws.pack
    python3 scan_pack.py aws.pack examples/cloudtrail/organizations.ndjson

The library is found with ctypes.util.find_library("sigrun") unless --library names it. Built and run by
the tests (ctest -L examples).
"""
import argparse
import ctypes
import ctypes.util
import sys

# sigrun_status values (sigrun.h).
SIGRUN_OK = 0
SIGRUN_FORMAT_AUTO = 0
SIGRUN_FORMAT_JSON = 1


class Match(ctypes.Structure):
    """struct sigrun_match."""

    _fields_ = [
        ("rule_index", ctypes.c_size_t),
        ("rule_id", ctypes.c_char_p),
        ("rule_title", ctypes.c_char_p),
        ("rule_level", ctypes.c_char_p),
        ("rule_status", ctypes.c_char_p),
        ("rule_author", ctypes.c_char_p),
        ("rule_tags", ctypes.POINTER(ctypes.c_char_p)),
        ("rule_tag_count", ctypes.c_size_t),
        ("message", ctypes.c_void_p),
        ("message_len", ctypes.c_size_t),
        ("event", ctypes.c_void_p),
        ("event_len", ctypes.c_size_t),
        ("line", ctypes.c_uint64),
    ]


class ScanStats(ctypes.Structure):
    """struct sigrun_scan_stats."""

    _fields_ = [(name, ctypes.c_uint64)
                for name in ("events_read", "events_evaluated", "events_rejected", "matches", "bytes_read")]


MATCH_FN = ctypes.CFUNCTYPE(None, ctypes.POINTER(Match), ctypes.c_void_p)
EVENT_ERROR_FN = ctypes.CFUNCTYPE(None, ctypes.c_uint64, ctypes.c_char_p, ctypes.c_void_p)


class SigrunError(Exception):
    pass


class Sigrun:
    """The few functions this example uses, with their C signatures."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        handle = ctypes.c_void_p
        error_out = ctypes.POINTER(ctypes.c_void_p)
        lib.sigrun_version.restype = ctypes.c_char_p
        lib.sigrun_version.argtypes = []
        lib.sigrun_status_string.restype = ctypes.c_char_p
        lib.sigrun_status_string.argtypes = [ctypes.c_int]
        lib.sigrun_error_status.restype = ctypes.c_int
        lib.sigrun_error_status.argtypes = [handle]
        lib.sigrun_error_message.restype = ctypes.c_char_p
        lib.sigrun_error_message.argtypes = [handle]
        lib.sigrun_error_free.restype = None
        lib.sigrun_error_free.argtypes = [handle]
        lib.sigrun_engine_load.restype = ctypes.c_int
        lib.sigrun_engine_load.argtypes = [ctypes.c_char_p, ctypes.c_uint32, ctypes.POINTER(handle), error_out]
        lib.sigrun_engine_rule_count.restype = ctypes.c_size_t
        lib.sigrun_engine_rule_count.argtypes = [handle]
        lib.sigrun_engine_is_native.restype = ctypes.c_int
        lib.sigrun_engine_is_native.argtypes = [handle]
        lib.sigrun_engine_free.restype = None
        lib.sigrun_engine_free.argtypes = [handle]
        lib.sigrun_scanner_new.restype = ctypes.c_int
        lib.sigrun_scanner_new.argtypes = [handle, ctypes.POINTER(handle), error_out]
        lib.sigrun_scanner_free.restype = None
        lib.sigrun_scanner_free.argtypes = [handle]
        lib.sigrun_scan_event.restype = ctypes.c_int
        lib.sigrun_scan_event.argtypes = [handle, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64, ctypes.c_int,
                                          MATCH_FN, ctypes.c_void_p, error_out]
        lib.sigrun_scan_ndjson.restype = ctypes.c_int
        lib.sigrun_scan_ndjson.argtypes = [handle, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, MATCH_FN,
                                           EVENT_ERROR_FN, ctypes.c_void_p, ctypes.POINTER(ScanStats), error_out]
        self.lib = lib

    def check(self, status, error):
        """Raises SigrunError with the library's message when `status` is not SIGRUN_OK."""
        if status == SIGRUN_OK:
            return
        message = self.lib.sigrun_error_message(error).decode()
        kind = self.lib.sigrun_status_string(self.lib.sigrun_error_status(error)).decode()
        self.lib.sigrun_error_free(error)
        raise SigrunError(f"{message} ({kind})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", help="path of libsigrun.so (default: found by ctypes)")
    parser.add_argument("pack")
    parser.add_argument("events")
    args = parser.parse_args()

    library = args.library or ctypes.util.find_library("sigrun")
    if library is None:
        sys.exit("scan_pack.py: libsigrun not found; give it with --library")
    sigrun = Sigrun(library)
    lib = sigrun.lib
    print(f"sigrun {lib.sigrun_version().decode()}")

    error = ctypes.c_void_p()
    engine = ctypes.c_void_p()
    scanner = ctypes.c_void_p()
    try:
        sigrun.check(lib.sigrun_engine_load(args.pack.encode(), 0, ctypes.byref(engine), ctypes.byref(error)),
                     error)
        kind = "native code" if lib.sigrun_engine_is_native(engine) else "interpreter"
        print(f"loaded {args.pack}: {lib.sigrun_engine_rule_count(engine)} rules, {kind}")
        sigrun.check(lib.sigrun_scanner_new(engine, ctypes.byref(scanner), ctypes.byref(error)), error)

        @MATCH_FN
        def on_match(match_ptr, _user):
            m = match_ptr.contents
            message = ctypes.string_at(m.message, m.message_len).decode()
            print(f"line {m.line}: {m.rule_title.decode()} ({m.rule_level.decode()}): {message} "
                  f"[rule {m.rule_id.decode()} by {m.rule_author.decode()}]")

        @EVENT_ERROR_FN
        def on_event_error(line, reason, _user):
            print(f"line {line}: skipped: {reason.decode()}", file=sys.stderr)

        # One event on its own: a malformed one is refused with the reason.
        broken = b'{"eventName": '
        try:
            sigrun.check(lib.sigrun_scan_event(scanner, broken, len(broken), 0, SIGRUN_FORMAT_JSON, on_match, None,
                                               ctypes.byref(error)), error)
        except SigrunError as e:
            print(f"a single malformed event: {e}")

        with open(args.events, "rb") as f:
            data = f.read()
        stats = ScanStats()
        sigrun.check(lib.sigrun_scan_ndjson(scanner, data, len(data), SIGRUN_FORMAT_AUTO, on_match, on_event_error,
                                            None, ctypes.byref(stats), ctypes.byref(error)), error)
        print(f"{stats.events_read} events, {stats.events_evaluated} evaluated, {stats.events_rejected} rejected, "
              f"{stats.matches} matches")
    except SigrunError as e:
        sys.exit(f"scan_pack.py: {e}")
    finally:
        lib.sigrun_scanner_free(scanner)
        lib.sigrun_engine_free(engine)


if __name__ == "__main__":
    main()
