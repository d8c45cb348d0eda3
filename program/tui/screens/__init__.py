"""The app's screens, one module each; imported on demand so the first frame stays quick."""
