"""Gather the GOV.UK and MoJ Frontend fonts and images into frontend_root/assets.

Their precompiled CSS asks for /assets/fonts/… and /assets/images/…; WhiteNoise serves
frontend_root at the site root (WHITENOISE_ROOT). Run by `make setup` after `npm ci`.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "node_modules/govuk-frontend/dist/govuk/assets",
    ROOT / "node_modules/@ministryofjustice/frontend/moj/assets",
]
TARGET = ROOT / "frontend_root" / "assets"
MOJ_HEADER = ROOT / "node_modules/@ministryofjustice/frontend/moj/components/header/template.njk"


def white_crest() -> str:
    """The MoJ header's white crest, as the MoJ template draws it, for an <img> (cacheable).

    The packaged moj-logotype-crest-2024.svg has no fill (it is drawn black), so it
    cannot sit on the black header.
    """
    template = MOJ_HEADER.read_text()
    start = template.index(
        '<svg aria-hidden="true" focusable="false" class="moj-header__logotype-crest"'
    )
    svg = template[start : template.index("</svg>", start) + len("</svg>")]
    svg = re.sub(r"\s*<image[^>]*></image>", "", svg)
    return re.sub(
        r"^<svg [^>]*>",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40">',
        svg,
    )


def main() -> int:
    missing = [str(source) for source in SOURCES if not source.is_dir()]
    if missing:
        print(
            "Front-end packages are missing; run `npm ci` first:",
            *missing,
            sep="\n  ",
            file=sys.stderr,
        )
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    for source in SOURCES:
        shutil.copytree(source, TARGET, dirs_exist_ok=True)
    (TARGET / "images" / "moj-crest-white.svg").write_text(white_crest())
    print(f"Front-end assets gathered in {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
