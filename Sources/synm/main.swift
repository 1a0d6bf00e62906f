print("synm")
