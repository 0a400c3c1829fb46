"""The analysis engine: pure detectors over batches of messages (DESIGN §6).

Public surface used by the rest of Qalxan::

    from qalxan.analysis import Message, Finding, AnalysisContext, analyse_messages
"""

from qalxan.analysis.message import AnalysisContext, Finding, Message, WatchedDefender

__all__ = ["AnalysisContext", "Finding", "Message", "WatchedDefender"]
