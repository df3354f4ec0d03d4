"""The fetcher WeasyPrint gets: only the letter assets, nothing else."""

import os

import pytest

from letters.pdf import ASSETS_DIR, AssetFetcher, RefusedURL

FONT = ASSETS_DIR / "fonts" / "NotoSerif-Regular.ttf"


@pytest.fixture
def fetcher():
    return AssetFetcher()


def test_serves_a_letter_asset(fetcher):
    response = fetcher.fetch(FONT.as_uri())
    assert response.read()[:4] == FONT.read_bytes()[:4]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/font.ttf",
        "ftp://example.org/x",
        "data:text/plain;base64,SGVsbG8=",
        "data:image/svg+xml,<svg></svg>",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://evil.example/etc/passwd",
        f"{ASSETS_DIR.as_uri()}/../pdf.py",
        f"{ASSETS_DIR.as_uri()}/fonts/../../pdf.py",
        f"{ASSETS_DIR.as_uri()}/%2e%2e/pdf.py",
        f"{ASSETS_DIR.as_uri()}/%2E%2E/%2E%2E/config/settings.py",
        f"{ASSETS_DIR.as_uri()}/..%2fpdf.py",
        f"{ASSETS_DIR.as_uri()}/%252e%252e/pdf.py",
        f"{ASSETS_DIR.as_uri()}/fonts%00.ttf",
        f"{ASSETS_DIR.as_uri()}/does-not-exist.css",
        f"{ASSETS_DIR.as_uri()}/fonts",
        "javascript:alert(1)",
        "/etc/passwd",
    ],
)
def test_refuses(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_refuses_a_symlink_that_leads_out_of_the_assets(tmp_path):
    root = tmp_path / "assets"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for PDFs")
    (root / "inside.txt").write_text("fine")
    os.symlink(secret, root / "link.txt")
    fetcher = AssetFetcher(root)
    assert fetcher.fetch((root / "inside.txt").as_uri()).read() == b"fine"
    with pytest.raises(RefusedURL):
        fetcher.fetch((root / "link.txt").as_uri())


def test_refuses_a_sibling_folder_with_the_same_prefix(tmp_path):
    root = tmp_path / "assets"
    root.mkdir()
    sibling = tmp_path / "assets-other"
    sibling.mkdir()
    (sibling / "x.css").write_text("p {}")
    with pytest.raises(RefusedURL):
        AssetFetcher(root).fetch((sibling / "x.css").as_uri())
