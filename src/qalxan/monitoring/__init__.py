"""Monitoring public posts: the post value object, and coordinated-campaign detection.

Everything here apart from the readers and writers is pure: functions take posts and
return results, with no database and no network.
"""
