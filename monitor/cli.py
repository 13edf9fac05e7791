def main():
    from chipwatch.db import schema
    print("ok", schema)
