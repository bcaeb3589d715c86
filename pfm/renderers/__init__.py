"""Renderers turn plain results into text for people and formats for machines (no terminal code here)."""
