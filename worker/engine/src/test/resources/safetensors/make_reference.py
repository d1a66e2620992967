# Generates python-reference.safetensors with the reference implementation (pip: safetensors 0.8.0,
# numpy). SafeTensorsTest reads it and checks that SafeTensors.write reproduces it byte for byte.
import numpy as np
from safetensors.numpy import save_file

tensors = {
    "weight": np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.5) - np.float32(1.0),
    "ids": np.array([-3, 0, 1 << 40], dtype=np.int64),
    "pixels": np.array([[0, 127], [128, 255]], dtype=np.uint8),
    "half": np.array([1.5, -2.0, 6.1035156e-05, 5.9604645e-08, 65504.0], dtype=np.float16),
    "double": np.array([1e300, -0.25], dtype=np.float64),
    "int32": np.array([-7, 2147483647], dtype=np.int32),
    "int16": np.array([-32768, 5], dtype=np.int16),
    "int8": np.array([-128, 127], dtype=np.int8),
    "mask": np.array([True, False, True], dtype=np.bool_),
    "empty": np.zeros((0, 4), dtype=np.float32),
    "scalar": np.array(3.25, dtype=np.float32),
}
# One metadata key only: the reference writes metadata in hash-map order, so several keys would not
# give reproducible bytes (this project's writer sorts them).
save_file(tensors, "python-reference.safetensors",
          metadata={"class_names": "[\"a\\\"b\", \"\u00e9\"]\tx"})
