"""Site-wide building blocks the apps use; imports no other package of ours."""
