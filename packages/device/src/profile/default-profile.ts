import type { DeviceProfile } from "./profile-types.js";

/**
 * The profile `createSimulatedDevice()` uses without an argument: a generic UEFI Hyper-V style
 * virtual machine booted into Windows PE with one blank 127 GB disk, no installed OS and no content.
 */
export const defaultDeviceProfile: DeviceProfile = {
  name: "Generic UEFI virtual machine (Windows PE)",
  hardware: {
    manufacturer: "Microsoft Corporation",
    model: "Virtual Machine",
    product: "Virtual Machine",
    version: "Hyper-V UEFI Release v4.1",
    serialNumber: "0000-0000-0000-0000-0000-0000-00",
    assetTag: "0000-0000-0000-0000-0000-0000-00",
    uuid: "8D3C4A6E-1F2B-4C5D-9E8F-0A1B2C3D4E5F",
    memoryMB: 4096,
    processorName: "Intel(R) Xeon(R) CPU E5-2673 v4 @ 2.30GHz",
    maxClockSpeedMHz: 2295,
    logicalProcessors: 2,
    chassisTypes: [3],
    isVirtualMachine: true,
    pnpDeviceIds: ["VMBUS\\{F8615163-DF3E-46C5-913F-F2D2F965ED0E}", "ACPI\\MSFT1000"],
  },
  firmware: {
    type: "UEFI",
    secureBoot: true,
    biosVersion: "Hyper-V UEFI Release v4.1",
    biosManufacturer: "Microsoft Corporation",
    biosReleaseDate: "20230824000000.000000+000",
    tpm: { present: true, version: "2.0", enabled: true, activated: true, ownershipAllowed: true, manufacturerVersion: "8213.275.21.64" },
  },
  power: { source: "AC" },
  os: { running: "WinPE", winpe: { version: "10.0.22621.1", architecture: "64", language: 1033, powerShell: true, computerName: "MININT-VM01" } },
  disks: [{ index: 0, model: "Msft Virtual Disk", sizeBytes: 136_365_211_648, busType: "SCSI", partitionStyle: "RAW" }],
  networkAdapters: [
    {
      description: "Microsoft Hyper-V Network Adapter",
      macAddress: "00:15:5D:01:02:03",
      connected: true,
      wireless: false,
      ipAddresses: ["192.168.1.50"],
      defaultGateways: ["192.168.1.1"],
      dhcpEnabled: true,
    },
  ],
};
