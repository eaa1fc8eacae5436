"""Run every check in order: `python -m production_check` from the project folder with
scripts/ on the path (PYTHONPATH=scripts), as scripts/production-check does once the site
is up."""

import sys

from tests.fake_smtp import StallingSmtpServer

from .attacks import (
    check_correction_after_idle_spell,
    check_lockout_cannot_be_turned_against_staff,
    check_logs,
    check_search_limit,
    check_upload_attack,
)
from .benchmark import benchmark
from .common import PORT_SMTP, failures
from .headers_and_caching import check_caching, check_observatory, check_transport
from .visitors import check_bad_input, check_client_addresses_and_mail


def main() -> int:
    with StallingSmtpServer(stalled=True, port=PORT_SMTP) as smtp:
        check_observatory()
        check_transport()
        check_caching()
        check_client_addresses_and_mail(smtp)
        check_bad_input()
        check_upload_attack()
        check_correction_after_idle_spell()
        check_lockout_cannot_be_turned_against_staff()
        check_search_limit()
        check_logs()
    benchmark()
    print()
    if failures:
        print(f"Production check FAILED: {len(failures)} check(s): " + "; ".join(failures))
        return 1
    print("Production check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
