"""Build the service's one stylesheet and one script into frontend_root/static (ADR 0036).

- frontend/service.scss -> css/service.css: only the GOV.UK and MoJ Frontend components the
  pages use, compiled from the packages' own Sass with Dart Sass (npm `sass`);
- frontend/service.mjs -> js/service.mjs: the GOV.UK Frontend components that need JavaScript,
  bundled from the package's ES modules with esbuild;
- the fonts, the favicons and the images the CSS or the frame asks for, under assets/, with
  both crests optimised by svgo (the MoJ crest drawn white, from the MoJ header template).

Django serves frontend_root/static as a static files directory, so collectstatic gives every
file a hashed, compressed, long-cached copy. Run by `make setup` after `npm ci`; needs only
Node and the packages in node_modules.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
BIN = NODE_MODULES / ".bin"
GOVUK = NODE_MODULES / "govuk-frontend/dist/govuk"
MOJ = NODE_MODULES / "@ministryofjustice/frontend/moj"
SOURCE = ROOT / "frontend"
TARGET = ROOT / "frontend_root" / "static"
MOJ_HEADER = MOJ / "components/header/template.njk"
# Images: the favicons (the frame), the footer's crest, the timeline's document icon and the
# filter's icons (CSS: show/hide, close, remove a chosen filter).
IMAGES = {
    "favicon.ico": GOVUK / "assets/images/favicon.ico",
    "favicon.svg": GOVUK / "assets/images/favicon.svg",
    "icon-document.svg": MOJ / "assets/images/icon-document.svg",
    **{
        name: MOJ / "assets/images" / name
        for name in (
            "icon-toggle-plus-minus.svg",
            "icon-close-cross-black.svg",
            "icon-tag-remove-cross.svg",
            "icon-tag-remove-cross-white.svg",
        )
    },
}
CRESTS = {"govuk-crest.svg": (GOVUK / "assets/images/govuk-crest.svg").read_text}
# Both crests are drawn at most 125 px wide: a tenth of a pixel is precision enough.
SVG_PRECISION = "1"


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


CRESTS["moj-crest-white.svg"] = white_crest


def run(*command) -> None:
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True)


def build(target: Path) -> None:
    run(
        BIN / "sass",
        "--load-path=.",
        "--load-path=node_modules/govuk-frontend/dist",
        "--load-path=node_modules/@ministryofjustice/frontend",
        "--style=compressed",
        "--no-source-map",
        "--no-error-css",
        "--quiet-deps",
        SOURCE / "service.scss",
        target / "css" / "service.css",
    )
    run(
        BIN / "esbuild",
        SOURCE / "service.mjs",
        "--bundle",
        "--format=esm",
        "--minify",
        "--target=es2020",
        "--log-level=warning",
        f"--outfile={target / 'js' / 'service.mjs'}",
    )
    shutil.copytree(GOVUK / "assets/fonts", target / "assets/fonts")
    images = target / "assets/images"
    images.mkdir(parents=True)
    for name, source in IMAGES.items():
        shutil.copyfile(source, images / name)
    with tempfile.TemporaryDirectory() as raw:
        for name, svg in CRESTS.items():
            (Path(raw) / name).write_text(svg())
        run(BIN / "svgo", "--quiet", "--precision", SVG_PRECISION, "-f", raw, "-o", images)


def main() -> int:
    missing = [str(path) for path in (GOVUK, MOJ, BIN / "sass", BIN / "esbuild", BIN / "svgo")]
    missing = [path for path in missing if not Path(path).exists()]
    if missing:
        print(
            "Front-end packages are missing; run `npm ci` first:",
            *missing,
            sep="\n  ",
            file=sys.stderr,
        )
        return 1
    # Built beside the target and swapped in whole: a failed build leaves the last good one.
    building = TARGET.with_name("static.building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    try:
        build(building)
    except subprocess.CalledProcessError as error:
        shutil.rmtree(building, ignore_errors=True)
        print(f"Front-end build failed: {error}", file=sys.stderr)
        return 1
    shutil.rmtree(TARGET, ignore_errors=True)
    building.rename(TARGET)
    shutil.rmtree(ROOT / "frontend_root" / "assets", ignore_errors=True)  # the pre-0036 layout
    print(f"Front end built in {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
