"""The daily digest: gather (data), draw (chart), render (templates), store and send (deliver).

``deliver_demo_digest(day)`` is the demo's last step (see demo.py)."""

from postwatch.report.digest.demo import deliver_demo_digest

__all__ = ["deliver_demo_digest"]
