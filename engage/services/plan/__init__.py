"""The partnership plan: priorities, outcomes, actions, indicators and progress (decide → report)."""
