"""The analysis engine: pure detectors over batches of messages (DESIGN §6).

Public surface used by the rest of Qalxan::

    from qalxan.analysis import Message, Finding, AnalysisContext, WatchedDefender
    from qalxan.analysis.pipeline import analyse_messages  # loads the detectors on first use
"""

from qalxan.analysis.message import AnalysisContext, Finding, Message, WatchedDefender

__all__ = ["AnalysisContext", "Finding", "Message", "WatchedDefender"]
