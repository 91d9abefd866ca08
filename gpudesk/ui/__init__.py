"""The Qt face of gpudesk: thin views over the core services."""
