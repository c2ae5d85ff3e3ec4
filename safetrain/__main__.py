from safetrain.cli import main

main(prog_name="safetrain")
