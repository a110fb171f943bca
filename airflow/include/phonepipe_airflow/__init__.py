"""Shared helpers for the phonepipe Airflow DAGs (airflow/dags/).

Importing any module here does no I/O and looks up no Airflow Connection or Variable: paths and settings
are read from the environment when a task runs (see :mod:`phonepipe_airflow.config`).
"""
