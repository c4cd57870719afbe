"""TLS failures are named as such, even when Scrapy wraps them in a generic download failure."""

from govwatch.crawl.verdicts import failure_verdict


class DownloadFailedError(Exception):
    pass


def test_wrapped_tls_failure_is_named_tls():
    exc = DownloadFailedError("[<twisted.python.failure.Failure OpenSSL.SSL.Error: [('SSL routines', '', 'wrong version number')]>]")
    assert failure_verdict(exc) == ("unverified", "TLS 握手失败")


def test_plain_download_failure_is_still_a_reset():
    assert failure_verdict(DownloadFailedError("Connection was closed cleanly.")) == ("unverified", "连接被重置")
