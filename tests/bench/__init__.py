"""Tests of the benchmark harness and the limit app it measures against."""
