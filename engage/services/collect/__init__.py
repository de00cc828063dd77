"""Collect: surveys and their runner, drafts and the question bank, interviews, paper
and imports, contact lists and invitations, Ask the Mayor, group sessions, the consultation
hub, and the retention and erasure of what was collected."""
