"""The engine of gpudesk: pure Python, strictly typed, and never importing Qt."""
