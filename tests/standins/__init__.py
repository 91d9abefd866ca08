"""Local stand-ins of cloud platform APIs (there is no real account here), built from their docs."""
