"""What an upload left on disk, for the image and editor tests."""


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []
