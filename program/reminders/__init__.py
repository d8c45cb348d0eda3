"""Reminders: when they fall (`times`, pure) and how they are delivered."""
