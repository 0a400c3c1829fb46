"""Coordinated-campaign detection on any set of posts.

Networks of accounts that posted the same text, link, shared post, reply target or hashtag
within a time window; an estimate of that window from the data (as CooRnet does);
communities; a summary and GraphML. Results say "coordinated" and stay unconfirmed: what
lies behind the coordination is for a person to judge.
"""

# The networks one can ask for (``networks.py`` builds them); here so that the command's help
# names them without loading the network code.
KINDS = ("co-post", "co-link", "co-share", "co-reply", "co-hashtag")
