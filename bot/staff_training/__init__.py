"""Staff training through scripted conversations: scripts in `training/`, played against the bot."""
