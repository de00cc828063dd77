"""The partnership plan: priorities, outcomes, actions, indicators, progress (decide, report)."""
