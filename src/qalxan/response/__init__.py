"""Response: triage, referrals and follow-up rules."""
