"""The Windows lane: tests run under the Windows Python in Wine (make test-windows)."""
