"""The ``vardflode`` command: demo, validate, simulate, bench, scheduler, db-upgrade, pdl-verify,
pdl-checkpoint, add-national-member.

Each command prints clear errors and exits non-zero on failure.
"""
from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vardflode", description="Vårdflöde command line")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the platform with demo data (SQLite, in-process worker)")
    demo.add_argument("--port", type=int, default=5000)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--data-dir", default="instance/demo")
    demo.add_argument("--seed-only", action="store_true", help="create and seed the database, then exit")

    validate = sub.add_parser("validate", help="validate BPMN files or program folders")
    validate.add_argument("paths", nargs="+", metavar="PATH")

    simulate = sub.add_parser("simulate", help="run a program on a virtual clock with a scenario")
    simulate.add_argument("path", metavar="PATH")
    simulate.add_argument("--scenario", required=True, metavar="FILE")
    simulate.add_argument("--start", help="ISO date-time the simulation starts at (default 2026-01-05T08:00Z)")

    bench = sub.add_parser("bench", help="measure the engine against bare SpiffWorkflow, and pages over HTTP")
    bench.add_argument("--json", action="store_true", help="machine-readable output")
    bench.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    bench.add_argument("--database-url", help="database to measure on (default: a fresh SQLite file)")
    bench.add_argument("--redis-url", help="Redis database for the timer measure (4); without it, (4) is skipped")
    bench.add_argument("--reuse", action="store_true",
                       help="empty the given database or Redis database even though it holds data the benchmark "
                            "did not write")

    sub.add_parser("scheduler", help="run the timer scheduler (Procfile: scheduler)")
    code = sub.add_parser("demo-code", help="the current TOTP code of a demo staff member")
    code.add_argument("hsa_id", metavar="HSA-ID")
    sub.add_parser("pdl-verify", help="verify the PDL access log: every entry's HMAC under VARDFLODE_PDL_KEY, "
                                      "the checkpoints' signatures, and that no checkpointed entry is missing")
    sub.add_parser("pdl-checkpoint", help="append a signed checkpoint of the PDL log to VARDFLODE_PDL_ANCHOR_DIR "
                                          "(the scheduler does every VARDFLODE_PDL_CHECKPOINT_SECONDS)")
    sub.add_parser("db-upgrade", help="apply database migrations")
    member = sub.add_parser("add-national-member", help="add a member of national management (the first one on a "
                                                        "new installation) and send their activation link")
    member.add_argument("hsa_id", metavar="HSA-ID")
    member.add_argument("given_name", metavar="GIVEN-NAME")
    member.add_argument("family_name", metavar="FAMILY-NAME")
    member.add_argument("email", metavar="EMAIL")
    member.add_argument("--lead", action="store_true", help="also make them the national management lead")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130


def _dispatch(args) -> int:
    if args.command == "validate":
        from cli import validate
        return validate.main(args.paths)
    if args.command == "simulate":
        from cli import simulate
        return simulate.main(args.path, args.scenario, args.start)
    if args.command == "demo":
        from cli import demo
        return demo.main(args.host, args.port, args.data_dir, args.seed_only)
    if args.command == "bench":
        from cli import bench
        return bench.main(as_json=args.json, quick=args.quick, database_url=args.database_url,
                          redis_url=args.redis_url, reuse=args.reuse)
    if args.command == "scheduler":
        from tasks import scheduler
        from web import create_app
        scheduler.main(create_app())
        return 0
    if args.command == "demo-code":
        from cli import demo_people
        if args.hsa_id not in {row[1] for row in demo_people.STAFF}:
            print(f"{args.hsa_id} is not a demo staff member", file=sys.stderr)
            return 1
        import pyotp
        print(pyotp.TOTP(demo_people.totp_secret_for(args.hsa_id)).now())
        return 0
    if args.command == "pdl-verify":
        return _pdl_verify()
    if args.command == "pdl-checkpoint":
        from web import create_app
        from access import pdl
        with create_app().app_context():
            taken = pdl.checkpoint()
            print(f"PDL checkpoint at entry {taken.seq} appended to {pdl.anchor_file()}")
        return 0
    if args.command == "db-upgrade":
        from web import create_app
        from web.database import upgrade
        upgrade(create_app())
        print("database is up to date")
        return 0
    if args.command == "add-national-member":
        from cli import national_member
        return national_member.main(args.hsa_id, args.given_name, args.family_name, args.email, args.lead)
    return 2


def _pdl_verify() -> int:
    from web import create_app
    from access import pdl
    with create_app().app_context():
        report = pdl.verify()
        anchor = pdl.anchor_file()
    if not report.ok:
        where = f" at entry {report.first_bad_seq}" if report.first_bad_seq is not None else ""
        print(f"PDL log BROKEN{where}: {report.reason}", file=sys.stderr)
        return 1
    print(f"PDL log intact: {report.entries} entries, {report.checkpoints} checkpoints")
    if not report.checkpoints:
        print(f"warning: no checkpoints in {anchor}: entries removed from the end of the log would go unseen",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
