"""The Discord front end: the discord.py client, its command tree, sending, and the cogs."""
