"""gpudesk: rent a cloud GPU, connect to it, and keep working on it from your desktop."""

__version__ = "0.1.0"
