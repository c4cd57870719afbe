import subprocess
import sys


def _govwatch(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "govwatch.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_bad_site_config_exits_2_with_one_line(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text('[site]\nname = "x"\nhome = "ftp://x"\n', encoding="utf-8")
    result = _govwatch("run", "--site", str(site))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert f"{site}:3: site.home:" in lines[0]


def test_cli_missing_site_file_exits_2(tmp_path):
    result = _govwatch("run", "--site", str(tmp_path / "nope.toml"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "不存在" in result.stderr


def test_cli_bad_as_of_date_exits_2(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text('[site]\nname = "x"\nhome = "http://127.0.0.1:9/"\n', encoding="utf-8")
    result = _govwatch("run", "--site", str(site), "--as-of", "2026-13-40")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_cli_help_lists_commands_in_chinese():
    result = _govwatch("--help")
    assert result.returncode == 0
    for name in ("demo", "run", "findings", "scores", "extract", "textcheck", "sample"):
        assert name in result.stdout
