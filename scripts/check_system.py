"""Check the system libraries the app needs, and say clearly what is missing."""

import ctypes.util
import sys


def main() -> int:
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        print(
            "WeasyPrint cannot load its system libraries (Pango, HarfBuzz, fontconfig):\n"
            f"  {error}\n"
            "Install them, e.g. on Debian/Ubuntu:  sudo apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0 libharfbuzz-subset0\n"
            "See https://doc.courtbouillon.org/weasyprint/stable/first_steps.html",
            file=sys.stderr,
        )
        return 1
    if ctypes.util.find_library("harfbuzz-subset") is None:
        print(
            "warning: libharfbuzz-subset0 is not installed; PDFs render about twice as slowly "
            "(fonts are then subset with fontTools). On Debian/Ubuntu: "
            "sudo apt-get install libharfbuzz-subset0",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
